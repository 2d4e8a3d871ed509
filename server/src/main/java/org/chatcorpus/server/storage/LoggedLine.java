package org.chatcorpus.server.storage;

/**
 * One line of the Arena's conversation log, where it lies: the log file's name (e.g.
 * {@code 2026-12-07-conv.json}), the byte offset of its first byte and the offset just past its
 * newline. The position is the line's identity: the database stores each position once.
 */
public record LoggedLine(String file, long offset, long end, String json) {
}
