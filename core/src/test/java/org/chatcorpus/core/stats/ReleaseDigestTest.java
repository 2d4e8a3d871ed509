package org.chatcorpus.core.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.chatcorpus.core.generate.ReleaseWriter;
import org.chatcorpus.core.generate.SyntheticCorpus;
import org.chatcorpus.core.io.DatasetReader;
import org.chatcorpus.core.io.JsonlConversationWriter;
import org.chatcorpus.core.io.Quarantine;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.model.Moderation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A release's digest: the same content in any order or file format gives the same; another text, another. */
class ReleaseDigestTest {
    @TempDir
    Path tmp;

    private static String digest(List<Conversation> cs) {
        ReleaseDigest d = new ReleaseDigest();
        cs.forEach(d::add);
        return d.toString();
    }

    @Test
    void sameContentSameDigestWhateverTheOrderFormatOrWorkerSplit() throws Exception {
        SyntheticCorpus corpus = new SyntheticCorpus(4);
        List<Conversation> cs = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            cs.add(corpus.conversation(i));
        }
        String d = digest(cs);
        assertThat(d).startsWith("v1:500:");
        List<Conversation> shuffled = new ArrayList<>(cs);
        long seed = 17;
        Collections.shuffle(shuffled, new Random(seed));
        assertThat(digest(shuffled)).as("shuffled with seed %d", seed).isEqualTo(d);
        ReleaseDigest a = new ReleaseDigest();
        ReleaseDigest b = new ReleaseDigest();
        for (int i = 0; i < cs.size(); i++) {
            (i % 3 == 0 ? a : b).add(cs.get(i));
        }
        a.merge(b);
        assertThat(a.toString()).isEqualTo(d);

        Path parquet = tmp.resolve("rel");
        try (ReleaseWriter w = new ReleaseWriter(parquet, "t", "t", 64 << 10)) {
            cs.forEach(c -> {
                try {
                    w.write(c);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        Path jsonl = tmp.resolve("copy.jsonl");
        try (JsonlConversationWriter w = JsonlConversationWriter.create(jsonl, false)) {
            for (Conversation c : cs) {
                w.write(c);
            }
        }
        assertThat(digest(new DatasetReader(List.of(parquet.toString()), null).readAll(Quarantine.counting()))).isEqualTo(d);
        assertThat(digest(new DatasetReader(List.of(jsonl.toString()), null).readAll(Quarantine.counting()))).isEqualTo(d);
    }

    @Test
    void anotherTextOrIdChangesItButModerationDoesNot() {
        SyntheticCorpus corpus = new SyntheticCorpus(4);
        List<Conversation> cs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            cs.add(corpus.conversation(i));
        }
        String d = digest(cs);
        List<Conversation> edited = new ArrayList<>(cs);
        List<Message> ms = new ArrayList<>(cs.get(7).conversation());
        ms.set(0, Message.user(ms.get(0).content() + "!"));
        edited.set(7, cs.get(7).withMessages(ms));
        assertThat(digest(edited)).isNotEqualTo(d);
        edited = new ArrayList<>(cs);
        edited.set(7, cs.get(7).withConversationId("other"));
        assertThat(digest(edited)).isNotEqualTo(d);
        edited = new ArrayList<>(cs);
        edited.remove(7);
        assertThat(digest(edited)).startsWith("v1:49:");
        edited = new ArrayList<>(cs);
        edited.set(7, cs.get(7).withModeration(cs.get(7).conversation().stream().map(m -> Moderation.clean()).toList()));
        assertThat(digest(edited)).isEqualTo(d);
    }
}
