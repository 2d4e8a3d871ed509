package org.chatcorpus.server.arena;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The visitor's address, which keys users and rate limits. Behind a proxy every request comes
 * from the proxy, so FastChat's get_ip (gradio_web_server.py, today) reads {@code CF-Connecting-IP},
 * then {@code X-Forwarded-For}; but any client can send those headers, so here they count only
 * when the direct peer is one of the configured trusted proxies ({@code trustedProxies} in the
 * Arena config: addresses or CIDR ranges). {@code CF-Connecting-IP} wins, as in FastChat. From
 * {@code X-Forwarded-For} we take the right-most address that is not itself a trusted proxy —
 * unlike FastChat's left-most, which the client writes and can forge; each trusted proxy
 * appends the address it saw. With no trusted proxies (the default) the headers are ignored.
 */
public final class ClientAddress {
    private final List<Range> trusted;

    public ClientAddress(List<String> trustedProxies) {
        List<Range> r = new ArrayList<>();
        for (String p : trustedProxies) {
            r.add(Range.parse(p));
        }
        this.trusted = List.copyOf(r);
    }

    /**
     * @param peer           the address of the direct TCP peer
     * @param cfConnectingIp the {@code CF-Connecting-IP} header, or null
     * @param forwardedFor   the {@code X-Forwarded-For} header, or null
     */
    public String resolve(String peer, String cfConnectingIp, String forwardedFor) {
        if (trusted.isEmpty() || !isTrusted(peer)) {
            return peer;
        }
        if (cfConnectingIp != null && !cfConnectingIp.isBlank()) {
            return cfConnectingIp.strip();
        }
        if (forwardedFor != null && !forwardedFor.isBlank()) {
            String[] hops = forwardedFor.split(",");
            String leftMost = null;
            for (int i = hops.length - 1; i >= 0; i--) {
                String hop = hops[i].strip();
                if (hop.isEmpty()) {
                    continue;
                }
                leftMost = hop;
                if (!isTrusted(hop)) {
                    return hop;
                }
            }
            if (leftMost != null) {
                return leftMost; // every hop is a trusted proxy: the first one is the nearest we know
            }
        }
        return peer;
    }

    boolean isTrusted(String address) {
        byte[] a = Range.literal(address);
        if (a == null) {
            return false;
        }
        for (Range r : trusted) {
            if (r.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /** An address or CIDR range, compared as bytes (IPv4-mapped IPv6 addresses count as IPv4). */
    private record Range(byte[] network, int prefix) {
        static Range parse(String spec) {
            String s = spec.strip();
            int slash = s.indexOf('/');
            byte[] net = literal(slash < 0 ? s : s.substring(0, slash));
            if (net == null) {
                throw new IllegalArgumentException("trustedProxies: '" + spec + "' is not an IP address or CIDR range (like 10.0.0.0/8)");
            }
            int prefix = net.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(s.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > net.length * 8) {
                    throw new IllegalArgumentException("trustedProxies: '" + spec + "' has a prefix length outside 0.." + net.length * 8);
                }
            }
            return new Range(net, prefix);
        }

        /** The bytes of an IP literal, or null for anything else (never a DNS lookup). */
        static byte[] literal(String s) {
            if (s == null || s.isEmpty() || !(Character.digit(s.charAt(0), 16) >= 0 || s.charAt(0) == ':' || s.charAt(0) == '[')) {
                return null;
            }
            String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
            boolean v4 = t.chars().allMatch(c -> c == '.' || Character.isDigit(c));
            boolean v6 = t.indexOf(':') >= 0 && t.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0);
            if (!v4 && !v6) {
                return null;
            }
            try {
                return InetAddress.getByName(t).getAddress(); // a literal: parsed, not looked up
            } catch (UnknownHostException e) {
                return null;
            }
        }

        boolean contains(byte[] a) {
            if (a.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest);
            return (a[full] & mask) == (network[full] & mask);
        }
    }
}
