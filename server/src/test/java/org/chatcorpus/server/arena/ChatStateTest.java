package org.chatcorpus.server.arena;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Conversation ids look like FastChat's uuid4().hex and do not repeat across threads. */
class ChatStateTest {
    @Test
    void conversationIdsAreVersion4UuidsInHexAndUnique() {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        IntStream.range(0, 20_000).parallel().forEach(i -> ids.add(new ChatState("m").convId()));
        assertThat(ids).hasSize(20_000);
        for (String id : ids.stream().limit(200).toList()) {
            assertThat(id).matches("[0-9a-f]{32}");
            UUID u = UUID.fromString(id.replaceFirst("(.{8})(.{4})(.{4})(.{4})(.{12})", "$1-$2-$3-$4-$5"));
            assertThat(u.version()).isEqualTo(4);
            assertThat(u.variant()).isEqualTo(2);
        }
    }
}
