package org.chatcorpus.explorer;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One search as the query string states it: the full-text query, filters (several values of one
 * filter are OR-ed, different filters AND-ed), the role whose messages must match, sort and page.
 * Parsing validates every value and caps the page size, so nothing the client sends is trusted.
 */
public record SearchRequest(String q, Map<String, List<String>> filters, String role, String sort, int limit, int offset) {
    /** The filter parameters, in the order pages show them. */
    public static final List<String> FILTERS = List.of("model", "language", "flagged", "category", "redacted", "turns", "topic");
    public static final List<String> ROLES = List.of("user", "assistant", "other");
    public static final List<String> SORTS = List.of("relevance", "length", "turns");
    public static final int MAX_LIMIT = 100;
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_OFFSET = 10_000;
    public static final int MAX_QUERY_CHARS = 1_000;
    private static final int MAX_VALUES = 50;

    public SearchRequest {
        q = q == null ? "" : q.strip();
        Map<String, List<String>> f = new LinkedHashMap<>();
        for (String k : FILTERS) {
            List<String> v = filters == null ? null : filters.get(k);
            if (v != null && !v.isEmpty()) {
                f.put(k, List.copyOf(v));
            }
        }
        filters = java.util.Collections.unmodifiableMap(f);
    }

    public static SearchRequest all() {
        return new SearchRequest("", Map.of(), null, "relevance", DEFAULT_LIMIT, 0);
    }

    /** Parses query parameters; throws {@link IllegalArgumentException} with a user-facing message on bad values. */
    public static SearchRequest parse(Map<String, List<String>> params) {
        String q = first(params, "q");
        if (q != null && q.length() > MAX_QUERY_CHARS) {
            throw new IllegalArgumentException("the query is longer than " + MAX_QUERY_CHARS + " characters");
        }
        Map<String, List<String>> filters = new LinkedHashMap<>();
        for (String k : FILTERS) {
            List<String> values = new ArrayList<>();
            for (String v : params.getOrDefault(k, List.of())) {
                if (v != null && !v.isBlank()) {
                    values.add(validate(k, v.strip()));
                }
            }
            if (values.size() > MAX_VALUES) {
                throw new IllegalArgumentException("too many values for " + k);
            }
            if (!values.isEmpty()) {
                filters.put(k, values);
            }
        }
        String role = first(params, "role");
        if (role != null && (role.isBlank() || role.equals("any"))) {
            role = null;
        }
        if (role != null && !ROLES.contains(role)) {
            throw new IllegalArgumentException("role must be one of " + ROLES);
        }
        String sort = first(params, "sort");
        if (sort == null || sort.isBlank()) {
            sort = "relevance";
        }
        if (!SORTS.contains(sort)) {
            throw new IllegalArgumentException("sort must be one of " + SORTS);
        }
        int limit = Math.min(MAX_LIMIT, number(params, "limit", DEFAULT_LIMIT, 1));
        int offset = number(params, "offset", 0, 0);
        if (offset > MAX_OFFSET) {
            throw new IllegalArgumentException("offset is capped at " + MAX_OFFSET + "; narrow the search instead");
        }
        return new SearchRequest(q, filters, role, sort, limit, offset);
    }

    private static String validate(String k, String v) {
        if (v.length() > 500) {
            throw new IllegalArgumentException("the value of " + k + " is too long");
        }
        switch (k) {
            case "flagged", "redacted" -> {
                if (!v.equals("true") && !v.equals("false")) {
                    throw new IllegalArgumentException(k + " must be true or false");
                }
            }
            case "turns" -> TurnRange.parse(v);
            default -> {
            }
        }
        return v;
    }

    private static String first(Map<String, List<String>> params, String k) {
        List<String> v = params.get(k);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static int number(Map<String, List<String>> params, String k, int dflt, int min) {
        String v = first(params, k);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n < min) {
                throw new IllegalArgumentException(k + " must be at least " + min);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(k + " must be a number");
        }
    }

    public SearchRequest withFilters(Map<String, List<String>> f) {
        return new SearchRequest(q, f, role, sort, limit, offset);
    }

    public SearchRequest withRole(String r) {
        return new SearchRequest(q, filters, r, sort, limit, offset);
    }

    public SearchRequest withOffset(int o) {
        return new SearchRequest(q, filters, role, sort, limit, o);
    }

    /** This request with one filter value added (or removed when already there), back to the first page. */
    public SearchRequest toggle(String filter, String value) {
        Map<String, List<String>> f = new LinkedHashMap<>(filters);
        List<String> vs = new ArrayList<>(f.getOrDefault(filter, List.of()));
        if (!vs.remove(value)) {
            vs.add(value);
        }
        f.put(filter, vs);
        return new SearchRequest(q, f, role, sort, limit, 0);
    }

    /** The query string that states this request (without a leading '?'), URL-encoded. */
    public String queryString(boolean withPage) {
        StringBuilder sb = new StringBuilder();
        if (!q.isEmpty()) {
            add(sb, "q", q);
        }
        filters.forEach((k, vs) -> vs.forEach(v -> add(sb, k, v)));
        if (role != null) {
            add(sb, "role", role);
        }
        if (!sort.equals("relevance")) {
            add(sb, "sort", sort);
        }
        if (withPage) {
            if (limit != DEFAULT_LIMIT) {
                add(sb, "limit", Integer.toString(limit));
            }
            if (offset != 0) {
                add(sb, "offset", Integer.toString(offset));
            }
        }
        return sb.toString();
    }

    private static void add(StringBuilder sb, String k, String v) {
        if (sb.length() > 0) {
            sb.append('&');
        }
        sb.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
    }

    /** A turn-count range: "3", "4-5" or "11+". */
    public record TurnRange(int min, int max) {
        public static TurnRange parse(String v) {
            try {
                if (v.endsWith("+")) {
                    return new TurnRange(Integer.parseInt(v.substring(0, v.length() - 1)), Integer.MAX_VALUE);
                }
                int dash = v.indexOf('-');
                if (dash > 0) {
                    int a = Integer.parseInt(v.substring(0, dash));
                    int b = Integer.parseInt(v.substring(dash + 1));
                    if (b < a) {
                        throw new IllegalArgumentException("turns range " + v + " is empty");
                    }
                    return new TurnRange(a, b);
                }
                int n = Integer.parseInt(v);
                return new TurnRange(n, n);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("turns must look like 3, 4-5 or 11+");
            }
        }

        /** The facet bucket a turn count falls in. */
        public static String bucket(long turn) {
            if (turn <= 3) {
                return Long.toString(turn);
            }
            if (turn <= 5) {
                return "4-5";
            }
            if (turn <= 10) {
                return "6-10";
            }
            return "11+";
        }

        static final List<String> BUCKETS = List.of("0", "1", "2", "3", "4-5", "6-10", "11+");

        @Override
        public String toString() {
            return max == Integer.MAX_VALUE ? min + "+" : min == max ? Integer.toString(min) : String.format(Locale.ROOT, "%d-%d", min, max);
        }
    }
}
