package org.chatcorpus.server.arena;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Turns a client address into a user key: SHA-256 of a per-installation secret salt and the
 * address. The salt is created once and kept in the data directory, so keys are stable across
 * restarts (rate limits, distinct-user statistics) but cannot be reversed to addresses by anyone
 * who has only the logs, the database or an export.
 */
public final class UserKeys {
    private final byte[] salt;

    private UserKeys(byte[] salt) {
        this.salt = salt;
    }

    /** Keys from a given salt (a replay derives it from its seed, so its logs repeat byte for byte). */
    static UserKeys ofSalt(byte[] salt) {
        return new UserKeys(salt.clone());
    }

    public static UserKeys loadOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve("user-key.salt");
        if (Files.exists(file)) {
            return new UserKeys(HexFormat.of().parseHex(Files.readString(file).trim()));
        }
        byte[] salt = new byte[32];
        new SecureRandom().nextBytes(salt);
        Files.createDirectories(dataDir);
        Files.writeString(file, HexFormat.of().formatHex(salt));
        return new UserKeys(salt);
    }

    /** A 32-hex-character key for this address. */
    public String keyOf(String address) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            sha.update(address.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
