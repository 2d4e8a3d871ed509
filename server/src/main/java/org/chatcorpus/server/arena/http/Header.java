package org.chatcorpus.server.arena.http;

/**
 * A request header. Names and values are checked when made: a line break in a value (an API key
 * read from the environment with one, say) would otherwise end the header and inject others.
 */
public record Header(String name, String value) {
    public Header {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty header name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == ':') {
                throw new IllegalArgumentException("header name " + name + " has a character HTTP does not allow in names");
            }
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < ' ' && c != '\t') || c == 0x7f || c > 0xff) {
                throw new IllegalArgumentException("the value of header " + name + " has a line break, control or non-Latin-1 character");
            }
        }
    }
}
