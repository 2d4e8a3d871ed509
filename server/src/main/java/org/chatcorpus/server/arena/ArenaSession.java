package org.chatcorpus.server.arena;

/**
 * What one browser session holds: its user key, whether the terms were accepted, the current
 * single-model chat, and the current battle. Requests of one session are serialised on it.
 */
public final class ArenaSession {
    private final String id;
    private final String userKey;
    private volatile boolean consented;
    ChatState chat;
    BattleRound battle;

    ArenaSession(String id, String userKey) {
        this.id = id;
        this.userKey = userKey;
    }

    public String id() {
        return id;
    }

    public String userKey() {
        return userKey;
    }

    public boolean consented() {
        return consented;
    }

    void consent() {
        consented = true;
    }

    /** Two models answering the same prompts; names hidden until the vote when anonymous. */
    static final class BattleRound {
        final ChatState[] states;
        final boolean anony;
        boolean voted;

        BattleRound(ChatState a, ChatState b, boolean anony) {
            this.states = new ChatState[] {a, b};
            this.anony = anony;
        }
    }
}
