package org.chatcorpus.explorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.BytesRef;
import org.chatcorpus.core.progress.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Booleans of common words ranked from score columns give Lucene's own totals, scores and order,
 * over hundreds of random queries (AND, OR, NOT, nesting) on a generated release.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExploreCommonWordSearchTest {
    ExplorerIndex idx;
    List<String> common;

    @BeforeAll
    void build(@TempDir Path tmp) throws Exception {
        Path release = ExploreFixtures.release(tmp.resolve("release"), 3000, 11);
        idx = ExplorerIndex.openOrBuild(List.of(release.toString()), null, tmp.resolve("index"), Progress.silent("t"),
                new PrintStream(new ByteArrayOutputStream()));
        common = new ArrayList<>();
        Terms terms = MultiTerms.getTerms(idx.reader(), ExplorerIndex.F_TEXT);
        TermsEnum te = terms.iterator();
        int maxDoc = idx.reader().maxDoc();
        for (BytesRef t = te.next(); t != null; t = te.next()) {
            String word = t.utf8ToString();
            if (te.docFreq() * TermScoreColumns.COMMON_SHARE_DIVISOR >= maxDoc && word.matches("[a-z]{3,}")) {
                common.add(word);
            }
        }
    }

    @AfterAll
    void close() throws Exception {
        idx.close();
    }

    @Test
    void theGeneratedCorpusHasEnoughCommonWordsToTest() {
        assertThat(common).hasSizeGreaterThan(10);
    }

    @Test
    void randomBooleansOfCommonWordsAgreeWithLucene() throws Exception {
        Random rnd = new Random(5);
        Searcher s = idx.search();
        IndexSearcher lucene = new IndexSearcher(idx.reader()); // no caches, no shortcuts
        int answered = 0;
        for (int i = 0; i < 300; i++) {
            String q = randomBoolean(rnd);
            SearchRequest r = new SearchRequest(q, Map.of(), null, "relevance", 20, 0);
            Query query = s.query(r);
            CommonWordSearch.TopHits mine = idx.commonWords().search(query, 20);
            if (mine == null) {
                continue;
            }
            answered++;
            TopDocs theirs = lucene.search(query, 20);
            assertThat(mine.total()).as(q).isEqualTo(lucene.count(query));
            assertThat(mine.top()).as(q).hasSize(theirs.scoreDocs.length);
            for (int k = 0; k < theirs.scoreDocs.length; k++) {
                ScoreDoc a = mine.top()[k];
                ScoreDoc b = theirs.scoreDocs[k];
                assertThat(a.score).as(q + " score at rank " + k).isCloseTo(b.score, within(1e-5f * Math.max(1f, b.score)));
                if (a.doc != b.doc) {
                    // Only documents whose scores tie to float precision may trade places.
                    assertThat(Math.abs(idxScore(lucene, query, a.doc) - b.score)).as(q + " rank " + k).isLessThan(1e-5f);
                }
            }
            assertThat(s.search(r, false).total()).as(q).isEqualTo(mine.total());
        }
        assertThat(answered).as("queries answered from columns").isGreaterThan(250);
    }

    @Test
    void singleWordsRareWordsAndFiltersAreLeftToLucene() throws Exception {
        Searcher s = idx.search();
        String a = common.get(0);
        String b = common.get(1);
        assertThat(idx.commonWords().search(s.query(new SearchRequest(a, Map.of(), null, "relevance", 20, 0)), 20)).isNull();
        assertThat(idx.commonWords().search(s.query(new SearchRequest(a + " AND quokka", Map.of(), null, "relevance", 20, 0)), 20)).isNull();
        assertThat(idx.commonWords().search(s.query(new SearchRequest(a + " AND " + b, Map.of(), null, "relevance", 20, 0)), 20)).isNotNull();
        // Sorted and filtered searches still agree with a plain count.
        SearchRequest filtered = new SearchRequest(a + " AND " + b, Map.of("flagged", List.of("false")), null, "relevance", 20, 0);
        assertThat(s.search(filtered, false).total()).isEqualTo(s.count(filtered));
        SearchRequest sorted = new SearchRequest(a + " AND " + b, Map.of(), null, "length", 20, 0);
        assertThat(s.search(sorted, false).total()).isEqualTo(s.count(sorted));
    }

    @Test
    void aColumnIsBuiltOnceAndTheBudgetBoundsHowManyAreKept() throws Exception {
        TermScoreColumns columns = new TermScoreColumns(idx.searcher(), 2L * (4L * idx.reader().maxDoc() + idx.reader().maxDoc() / 8 + 64));
        assertThat(columns.capacity()).isEqualTo(2);
        Term x = new Term(ExplorerIndex.F_TEXT, common.get(0));
        Term y = new Term(ExplorerIndex.F_TEXT, common.get(1));
        Term z = new Term(ExplorerIndex.F_TEXT, common.get(2));
        TermScoreColumns.Column first = columns.column(x);
        assertThat(columns.column(x)).isSameAs(first);
        assertThat(columns.built()).isEqualTo(1);
        columns.column(y);
        columns.column(z); // evicts x, the least recently used
        TermScoreColumns.Column again = columns.column(x);
        assertThat(again).isNotSameAs(first);
        assertThat(again.scores()).containsExactly(first.scores());
        assertThat(again.present()).isEqualTo(first.present());
        assertThat(columns.built()).isEqualTo(4);
        CommonWordSearch tooMany = new CommonWordSearch(columns);
        Query three = idx.search().query(new SearchRequest(common.get(0) + " AND " + common.get(1) + " AND " + common.get(2),
                Map.of(), null, "relevance", 20, 0));
        assertThat(tooMany.search(three, 20)).as("more words than the budget holds").isNull();
    }

    private static float idxScore(IndexSearcher lucene, Query q, int doc) throws Exception {
        return (float) lucene.explain(q, doc).getValue().doubleValue();
    }

    private String randomBoolean(Random rnd) {
        String w1 = pick(rnd);
        String w2 = pick(rnd);
        String w3 = pick(rnd);
        return switch (rnd.nextInt(7)) {
            case 0 -> w1 + " AND " + w2;
            case 1 -> w1 + " OR " + w2;
            case 2 -> w1 + " NOT " + w2;
            case 3 -> "(" + w1 + " OR " + w2 + ") AND " + w3;
            case 4 -> w1 + " AND " + w2 + " AND " + w3;
            case 5 -> "(" + w1 + " AND " + w2 + ") OR " + w3;
            default -> w1 + " AND NOT " + w2 + " OR " + w3;
        };
    }

    private String pick(Random rnd) {
        return common.get(rnd.nextInt(common.size()));
    }
}
