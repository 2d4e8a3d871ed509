package org.chatcorpus.explorer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.chatcorpus.core.generate.SyntheticCorpus;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.junit.jupiter.api.Test;

/** The quick test that lets snippets skip messages never says no to a message that has the word. */
class ExploreSnippetPrecheckTest {
    @Test
    void everyIndexedTermOfAMessagePassesThePrecheck() throws Exception {
        SyntheticCorpus corpus = new SyntheticCorpus(3);
        List<String> texts = new ArrayList<>(List.of("İstanbul ΣΟΦΟΣ Straße", "foo_bar baz", "Write a Python Function", "故事を書いて",
                "emoji 😀 x", "ﬁne ligature"));
        for (int i = 0; i < 300; i++) {
            Conversation c = corpus.conversation(i);
            c.conversation().stream().map(Message::content).forEach(texts::add);
        }
        int checked = 0;
        try (Analyzer a = ExplorerIndex.analyzer()) {
            for (String text : texts) {
                for (String field : List.of(ExplorerIndex.F_USER, ExplorerIndex.F_PAIRS)) {
                    for (String term : terms(a, field, text)) {
                        assertThat(Searcher.mayContain(text, Set.of(term))).as("%s in %s", term, text).isTrue();
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(10_000);
        assertThat(Searcher.mayContain("Write a Python Function", Set.of("zebrafish", "quokka"))).isFalse();
        assertThat(Searcher.mayContain("Write a Python Function", Set.of("zebrafish", "python"))).isTrue();
    }

    private static List<String> terms(Analyzer a, String field, String text) throws Exception {
        List<String> out = new ArrayList<>();
        try (TokenStream ts = a.tokenStream(field, new StringReader(text))) {
            CharTermAttribute t = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                out.add(t.toString());
            }
            ts.end();
        }
        return out;
    }
}
