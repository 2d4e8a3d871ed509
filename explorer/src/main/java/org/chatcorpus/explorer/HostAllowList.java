package org.chatcorpus.explorer;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Host names the explorer answers to. A page on another site can point a name it controls at
 * 127.0.0.1 (DNS rebinding) and then read a local corpus as same-origin; the browser still sends
 * that name as Host, so answering only to known names closes the hole. By default: the loopback
 * names and the address the server is bound to; more with {@code --allow-host}.
 */
final class HostAllowList {
    private final Set<String> names;

    private HostAllowList(Set<String> names) {
        this.names = names;
    }

    static HostAllowList of(String bindHost, Set<String> extra) {
        Set<String> n = new TreeSet<>(Set.of("localhost", "127.0.0.1", "::1"));
        if (bindHost != null && !bindHost.isBlank() && !bindHost.equals("0.0.0.0") && !bindHost.equals("::")) {
            n.add(normalise(bindHost));
        }
        extra.forEach(h -> n.add(normalise(h)));
        return new HostAllowList(n);
    }

    /** Null when the Host header names an allowed host; otherwise the one-line reason to refuse. */
    String refusal(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return "the request has no Host header; this explorer answers only to " + String.join(", ", names);
        }
        String name = nameOf(hostHeader.trim());
        if (names.contains(name)) {
            return null;
        }
        String shown = hostHeader.length() > 80 ? hostHeader.substring(0, 80) + "…" : hostHeader;
        return "Host '" + shown + "' is not one this explorer answers to (" + String.join(", ", names)
                + "); start it with --allow-host " + (name.isEmpty() ? "NAME" : name) + " to serve that name";
    }

    /** The host part of a Host header: without the port, without IPv6 brackets, lower case. */
    private static String nameOf(String host) {
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return close < 0 ? host : normalise(host.substring(1, close));
        }
        int colon = host.indexOf(':');
        return normalise(colon < 0 ? host : host.substring(0, colon));
    }

    private static String normalise(String h) {
        String s = h.trim().toLowerCase(Locale.ROOT);
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
