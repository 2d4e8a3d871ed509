package org.chatcorpus.explorer;

import java.io.IOException;
import java.util.Set;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LRUQueryCache;
import org.apache.lucene.search.PointRangeQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryCachingPolicy;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.UsageTrackingQueryCachingPolicy;
import org.apache.lucene.util.BytesRef;

/**
 * The explorer's cache of filter results, as a search engine's filter cache: every filter clause
 * (model, language, flagged, redacted, category, topic, turns) is kept as a document set from its
 * first use, and all single-value filters are computed once when the index opens, so the first
 * search with a filter does not pay for walking it. Other queries are cached as Lucene's usage
 * tracking decides (after repeated use). The index never changes once built, so nothing goes stale.
 */
final class FilterCache {
    /** Room for a few hundred dense filters over a million conversations (a dense one is 125 KB). */
    static final long MAX_BYTES = 128L << 20;
    static final int MAX_QUERIES = 4096;
    private static final Set<String> FILTER_FIELDS = Set.of(ExplorerIndex.F_MODEL, ExplorerIndex.F_LANGUAGE, ExplorerIndex.F_FLAGGED,
            ExplorerIndex.F_REDACTED, ExplorerIndex.F_CATEGORY, ExplorerIndex.F_TOPIC);

    private FilterCache() {
    }

    /** Gives the searcher the cache and the policy, then computes every single-value filter once. */
    static LRUQueryCache install(IndexSearcher searcher) throws IOException {
        LRUQueryCache cache = new LRUQueryCache(MAX_QUERIES, MAX_BYTES, leaf -> true, Float.POSITIVE_INFINITY);
        searcher.setQueryCache(cache);
        searcher.setQueryCachingPolicy(new Policy());
        for (String field : FILTER_FIELDS) {
            // The values of all segments merged: one search per value, which caches it in every segment.
            Terms terms = MultiTerms.getTerms(searcher.getIndexReader(), field);
            if (terms == null) {
                continue;
            }
            TermsEnum values = terms.iterator();
            for (BytesRef v = values.next(); v != null; v = values.next()) {
                // Scored as a filter (no scores), so the caching wrapper stores its documents.
                searcher.search(new ConstantScoreQuery(new TermQuery(new Term(field, BytesRef.deepCopyOf(v)))), 1);
            }
        }
        return cache;
    }

    /** Whether a query is one of the explorer's filters (or an OR of values of one). */
    static boolean isFilter(Query q) {
        if (q instanceof ConstantScoreQuery c) {
            return isFilter(c.getQuery());
        }
        if (q instanceof TermQuery t) {
            return FILTER_FIELDS.contains(t.getTerm().field());
        }
        if (q instanceof PointRangeQuery p) {
            return p.getField().equals(ExplorerIndex.F_TURN);
        }
        if (q instanceof BooleanQuery b) {
            return !b.clauses().isEmpty() && b.clauses().stream().allMatch(c -> c.getOccur() == BooleanClause.Occur.SHOULD && isFilter(c.getQuery()));
        }
        return false;
    }

    private static final class Policy implements QueryCachingPolicy {
        private final UsageTrackingQueryCachingPolicy byUse = new UsageTrackingQueryCachingPolicy();

        @Override
        public void onUse(Query query) {
            byUse.onUse(query);
        }

        @Override
        public boolean shouldCache(Query query) throws IOException {
            return isFilter(query) || byUse.shouldCache(query);
        }
    }
}
