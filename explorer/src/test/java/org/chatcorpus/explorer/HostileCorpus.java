package org.chatcorpus.explorer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.chatcorpus.core.io.JsonlConversationWriter;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;
import org.chatcorpus.core.model.Moderation;

/** Conversations whose every field a page shows carries script-injection payloads. Each payload sets window.pwned. */
final class HostileCorpus {
    static final List<String> PAYLOADS = List.of(
            "<script>window.pwned=1;alert(1)</script>",
            "<img src=x onerror=\"window.pwned=2;alert(2)\">",
            "\"><svg onload=\"window.pwned=3;alert(3)\">",
            "<a href=\"javascript:window.pwned=4;alert(4)\">click me</a>",
            "'><iframe srcdoc=\"<script>parent.pwned=5</script>\"></iframe>",
            "</textarea></title><script>window.pwned=6</script>",
            "<style>body{display:none}</style><b onmouseover=window.pwned=7>hover NAME_1</b>");
    /** Tags that must never appear unescaped in a page (our own script tag aside). */
    static final List<String> FORBIDDEN = List.of("<img", "<svg", "<iframe", "<style", "<b ", "<a href=\"javascript", "</textarea>");
    static final String OUR_SCRIPT = "<script src=\"/static/explorer.js\"></script>";
    static final String HUGE_MARKER = "hugepayloadmarker";
    static final int HUGE_CHARS = 300_000;

    private HostileCorpus() {
    }

    static List<Conversation> conversations() {
        List<Conversation> out = new ArrayList<>();
        for (int i = 0; i < PAYLOADS.size(); i++) {
            String p = PAYLOADS.get(i);
            List<Message> ms = List.of(Message.user("pwned question " + p), Message.assistant("pwned answer " + p + " from NAME_2"),
                    new Message(p, "a message with a hostile role, pwned"));
            List<Moderation> mod = List.of(Moderation.clean(), Moderation.clean(), Moderation.clean());
            out.add(new Conversation("hostile-" + i, "model " + p, ms, 1, "lang " + p, mod, false, null, null));
        }
        out.add(new Conversation("\"><svg onload=\"window.pwned=8\">", "plain-model", List.of(Message.user("pwned id payload"),
                Message.assistant("ok")), 1, "English", List.of(), false, null, null));
        String huge = PAYLOADS.get(0) + " " + HUGE_MARKER + " " + "x ".repeat(HUGE_CHARS / 2) + PAYLOADS.get(1);
        out.add(new Conversation("hostile-huge", "plain-model", List.of(Message.user("pwned huge " + huge), Message.assistant("ok")), 1,
                "English", List.of(), false, null, null));
        return out;
    }

    static Path write(Path file) throws IOException {
        try (JsonlConversationWriter w = JsonlConversationWriter.create(file, false)) {
            for (Conversation c : conversations()) {
                w.write(c);
            }
        }
        return file;
    }

    /** Fails when the page has any raw payload or forbidden markup. */
    static void assertSafe(String url, String html) {
        String body = html.replace(OUR_SCRIPT, "");
        org.assertj.core.api.Assertions.assertThat(body).as(url).doesNotContainIgnoringCase("<script");
        for (String p : PAYLOADS) {
            org.assertj.core.api.Assertions.assertThat(body).as(url).doesNotContain(p);
        }
        for (String f : FORBIDDEN) {
            org.assertj.core.api.Assertions.assertThat(body).as(url).doesNotContainIgnoringCase(f);
        }
        org.assertj.core.api.Assertions.assertThat(body).as(url).doesNotContainPattern("(?i)href\\s*=\\s*\"?\\s*javascript:");
    }
}
