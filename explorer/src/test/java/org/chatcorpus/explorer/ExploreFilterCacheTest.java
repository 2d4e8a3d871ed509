package org.chatcorpus.explorer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.LRUQueryCache;
import org.apache.lucene.search.TermQuery;
import org.chatcorpus.core.progress.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Filters are cached from the moment the index opens, and cached answers equal uncached ones. */
class ExploreFilterCacheTest {
    @TempDir
    Path tmp;

    @Test
    void everyFilterValueIsCachedAtOpenAndCountsAgree() throws Exception {
        Path release = ExploreFixtures.release(tmp.resolve("release"), 3000, 5);
        try (ExplorerIndex idx = ExplorerIndex.openOrBuild(List.of(release.toString()), null, tmp.resolve("index"), Progress.silent("t"),
                new PrintStream(new ByteArrayOutputStream()))) {
            LRUQueryCache cache = idx.filterCache();
            Map<String, Map<String, Long>> facets = idx.search().search(SearchRequest.all(), true).facets();
            long values = facets.get("model").size() + facets.get("language").size() + facets.get("flagged").size()
                    + facets.get("redacted").size() + facets.get("category").size();
            assertThat(values).isGreaterThan(10);
            assertThat(cache.getCacheCount()).as("one cached document set per filter value and segment").isGreaterThanOrEqualTo(values);
            long hitsBefore = cache.getHitCount();
            Searcher s = idx.search();
            for (Map.Entry<String, Long> model : facets.get("model").entrySet()) {
                SearchRequest r = new SearchRequest("", Map.of("model", List.of(model.getKey())), null, "relevance", 5, 0);
                assertThat(s.search(r, false).total()).as(model.getKey()).isEqualTo(model.getValue());
                SearchRequest withText = new SearchRequest("zebrafish", Map.of("model", List.of(model.getKey())), null, "relevance", 5, 0);
                idx.searcher().setQueryCache(null); // the same count with no cache at all
                long uncached = s.count(withText);
                idx.searcher().setQueryCache(cache);
                assertThat(s.search(withText, false).total()).isEqualTo(uncached);
            }
            assertThat(cache.getHitCount()).as("filters answered from the cache").isGreaterThan(hitsBefore);
        }
    }

    @Test
    void onlyFilterClausesCountAsFilters() {
        assertThat(FilterCache.isFilter(new TermQuery(new Term(ExplorerIndex.F_MODEL, "gpt-4")))).isTrue();
        assertThat(FilterCache.isFilter(IntPoint.newRangeQuery(ExplorerIndex.F_TURN, 2, 3))).isTrue();
        BooleanQuery anyOf = new BooleanQuery.Builder().add(new TermQuery(new Term(ExplorerIndex.F_LANGUAGE, "English")), BooleanClause.Occur.SHOULD)
                .add(new TermQuery(new Term(ExplorerIndex.F_LANGUAGE, "German")), BooleanClause.Occur.SHOULD).build();
        assertThat(FilterCache.isFilter(anyOf)).isTrue();
        assertThat(FilterCache.isFilter(new TermQuery(new Term(ExplorerIndex.F_TEXT, "python")))).isFalse();
        BooleanQuery mixed = new BooleanQuery.Builder().add(new TermQuery(new Term(ExplorerIndex.F_TEXT, "python")), BooleanClause.Occur.SHOULD)
                .add(new TermQuery(new Term(ExplorerIndex.F_MODEL, "gpt-4")), BooleanClause.Occur.SHOULD).build();
        assertThat(FilterCache.isFilter(mixed)).isFalse();
    }
}
