package org.chatcorpus.server.arena;

/**
 * What one browser session holds: its user key, the current single-model chat, and the current
 * battle. A session exists only once its user accepted the terms. Requests of one session are
 * serialised on it.
 */
public final class ArenaSession {
    private final String id;
    private final String userKey;
    private volatile long lastActive;
    ChatState chat;
    BattleRound battle;

    ArenaSession(String id, String userKey, long now) {
        this.id = id;
        this.userKey = userKey;
        this.lastActive = now;
    }

    public String id() {
        return id;
    }

    public String userKey() {
        return userKey;
    }

    /** When the session was last used ({@link System#nanoTime()}). */
    long lastActive() {
        return lastActive;
    }

    void touch(long now) {
        lastActive = now;
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
