package org.chatcorpus.explorer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.chatcorpus.core.generate.ReleaseWriter;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.progress.Progress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exact phrases answered from the indexed word pairs: the same conversations as a positional
 * phrase (never across two messages, across punctuation as the word tokenizer sees it), and sorts
 * by length that may skip documents still come out in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExploreWordPairsTest {
    @TempDir
    static Path tmp;
    ExplorerIndex index;
    Searcher searcher;
    final List<Conversation> conversations = new ArrayList<>();

    @BeforeAll
    void build() throws Exception {
        conversations.add(conv("split", "Show me some python", "function names are short"));
        conversations.add(conv("adjacent", "Write a Python Function, please", "Sure."));
        conversations.add(conv("punctuated", "python, function!", "ok"));
        conversations.add(conv("reversed", "function python", "ok"));
        conversations.add(conv("three", "please write a python function quickly", "A python function: def f(): pass"));
        conversations.add(conv("three-split", "write a python", "function quickly"));
        for (int i = 0; i < 40; i++) { // lengths to sort by, none with the phrase
            conversations.add(conv("filler-" + i, "x".repeat(1 + (i * 37) % 400) + " python", "y".repeat((i * 53) % 300)));
        }
        Path release = tmp.resolve("release");
        try (ReleaseWriter w = new ReleaseWriter(release, "pairs-test", "test data", 1L << 20)) {
            for (Conversation c : conversations) {
                w.write(c);
            }
        }
        index = ExplorerIndex.openOrBuild(List.of(release.toString()), null, tmp.resolve("index"), Progress.silent("t"),
                new PrintStream(new ByteArrayOutputStream()));
        searcher = index.search();
    }

    @AfterAll
    void close() throws Exception {
        index.close();
    }

    private static Conversation conv(String id, String user, String assistant) {
        return Conversation.of(id, "vicuna-13b", List.of(Message.user(user), Message.assistant(assistant))).withLanguage("English")
                .withTurn(1);
    }

    private List<String> ids(String q, String sort) throws Exception {
        Searcher.Result r = searcher.search(new SearchRequest(q, Map.of(), null, sort, 100, 0), false);
        assertThat(r.total()).as(q).isEqualTo(r.hits().size());
        return r.hits().stream().map(Searcher.Hit::conversationId).toList();
    }

    @Test
    void twoWordPhraseIsOnePairTermWithTheSameMatches() throws Exception {
        Query q = searcher.textQuery(new SearchRequest("\"Python function\"", Map.of(), null, "relevance", 20, 0));
        assertThat(q).isInstanceOf(TermQuery.class);
        assertThat(((TermQuery) q).getTerm().field()).isEqualTo(ExplorerIndex.F_PAIRS);
        assertThat(((TermQuery) q).getTerm().text()).isEqualTo("python function");
        assertThat(ids("\"python function\"", "relevance")).containsExactlyInAnyOrder("adjacent", "punctuated", "three");
    }

    @Test
    void longerPhraseChecksPositionsOnlyWhereAllPairsOccur() throws Exception {
        Query q = searcher.textQuery(new SearchRequest("\"please write a python function\"", Map.of(), null, "relevance", 20, 0));
        assertThat(q).isInstanceOf(BooleanQuery.class);
        List<BooleanClause> clauses = ((BooleanQuery) q).clauses();
        assertThat(clauses.stream().filter(c -> c.getOccur() == BooleanClause.Occur.FILTER)).hasSize(4);
        assertThat(clauses.stream().filter(c -> c.getOccur() == BooleanClause.Occur.MUST)).hasSize(1);
        assertThat(ids("\"please write a python function\"", "relevance")).containsExactly("three");
        assertThat(ids("\"write a python function\"", "relevance")).containsExactlyInAnyOrder("three", "adjacent");
        assertThat(ids("\"write a python function quickly\"", "relevance")).containsExactly("three"); // not "three-split"
        assertThat(ids("\"a python function\"", "relevance")).containsExactlyInAnyOrder("three", "adjacent");
    }

    @Test
    void sloppyAndRoleRestrictedPhrasesStayPositional() throws Exception {
        Query sloppy = searcher.textQuery(new SearchRequest("\"python function\"~1", Map.of(), null, "relevance", 20, 0));
        assertThat(sloppy).isInstanceOf(PhraseQuery.class);
        assertThat(ids("\"function python\"~2", "relevance")).contains("reversed", "adjacent");
        Query user = searcher.textQuery(new SearchRequest("\"python function\"", Map.of(), "user", "relevance", 20, 0));
        assertThat(user).isInstanceOf(PhraseQuery.class);
        Searcher.Result r = searcher.search(new SearchRequest("\"python function\"", Map.of(), "assistant", "relevance", 20, 0), false);
        assertThat(r.hits()).extracting(Searcher.Hit::conversationId).containsExactly("three");
    }

    @Test
    void snippetMarksTheWholePair() throws Exception {
        Searcher.Result r = searcher.search(new SearchRequest("\"python function\"", Map.of(), null, "relevance", 20, 0), false);
        Searcher.Hit adjacent = r.hits().stream().filter(h -> h.conversationId().equals("adjacent")).findFirst().orElseThrow();
        Searcher.Snippet s = adjacent.snippet();
        assertThat(s.marks()).hasSize(1);
        int[] m = s.marks().get(0);
        assertThat(s.text().substring(m[0], m[1])).isEqualTo("Python Function");
    }

    @Test
    void sortByLengthIsInOrderOverEveryMatch() throws Exception {
        List<String> expected = conversations.stream().filter(c -> c.conversation().get(0).content().toLowerCase().contains("python")
                        || c.conversation().get(1).content().toLowerCase().contains("python"))
                .sorted(Comparator.comparingLong(ExploreWordPairsTest::length).reversed()).map(Conversation::conversationId).toList();
        List<String> got = new ArrayList<>();
        for (int offset = 0; offset < expected.size(); offset += 7) { // pages, as the web page asks for them
            Searcher.Result r = searcher.search(new SearchRequest("python", Map.of(), null, "length", 7, offset), false);
            assertThat(r.total()).isEqualTo(expected.size());
            r.hits().forEach(h -> got.add(h.conversationId()));
        }
        assertThat(got.stream().map(this::lengthOf).toList()).isEqualTo(expected.stream().map(this::lengthOf).toList());
        assertThat(got).containsExactlyInAnyOrderElementsOf(expected);
    }

    private long lengthOf(String id) {
        return length(conversations.stream().filter(c -> c.conversationId().equals(id)).findFirst().orElseThrow());
    }

    private static long length(Conversation c) {
        return c.conversation().stream().mapToLong(m -> m.content().length()).sum();
    }
}
