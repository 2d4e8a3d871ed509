package org.chatcorpus.server.arena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
    private final ClientAddress behindProxies = new ClientAddress(List.of("10.0.0.0/8", "192.0.2.7", "2001:db8::/32"));

    @Test
    void withoutTrustedProxiesTheHeadersAreIgnored() {
        assertThat(new ClientAddress(List.of()).resolve("10.1.2.3", "198.51.100.1", "198.51.100.2")).isEqualTo("10.1.2.3");
    }

    @Test
    void anUntrustedPeerCannotNameAnotherClient() {
        assertThat(behindProxies.resolve("203.0.113.5", "198.51.100.1", "198.51.100.2")).isEqualTo("203.0.113.5");
    }

    @Test
    void aTrustedPeersCfConnectingIpWinsAsInFastChat() {
        assertThat(behindProxies.resolve("10.9.9.9", "198.51.100.1", "198.51.100.2")).isEqualTo("198.51.100.1");
    }

    @Test
    void forwardedForGivesTheRightMostAddressThatIsNotATrustedProxy() {
        // The client forged "1.1.1.1"; the trusted proxies appended what they saw.
        assertThat(behindProxies.resolve("10.0.0.1", null, "1.1.1.1, 198.51.100.9, 192.0.2.7")).isEqualTo("198.51.100.9");
        assertThat(behindProxies.resolve("192.0.2.7", "", "198.51.100.3")).isEqualTo("198.51.100.3");
    }

    @Test
    void ipv6PeersAndRangesMatch() {
        assertThat(behindProxies.resolve("2001:db8::1", null, "2001:db9::5")).isEqualTo("2001:db9::5");
        assertThat(behindProxies.resolve("2001:db9::1", null, "198.51.100.3")).isEqualTo("2001:db9::1");
    }

    @Test
    void aTrustedPeerWithoutHeadersIsItself() {
        assertThat(behindProxies.resolve("10.0.0.1", null, null)).isEqualTo("10.0.0.1");
    }

    @Test
    void hostNamesAreNeverLookedUpAndBadRangesAreRefusedWithTheirText() {
        assertThat(behindProxies.isTrusted("localhost")).isFalse();
        assertThatThrownBy(() -> new ClientAddress(List.of("10.0.0.0/33"))).hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> new ClientAddress(List.of("proxy.example"))).hasMessageContaining("proxy.example");
    }
}
