package dev.deltawatch.worker.findings;

import dev.deltawatch.contracts.Subject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The identity of a problem: a hash of family, rule, target and subject. Never of timestamps, measured values
 * or evidence: a repeat of the same problem must map to the same key on the compacted findings topic.
 */
public final class Fingerprint {
    private Fingerprint() {}

    public static String of(String family, String rule, String target, Subject subject) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            // The unit separator cannot appear in identifiers we hash, so fields cannot run into each other.
            String canonical = String.join("\u001f", family, rule, target, subject.kind(), subject.name());
            byte[] digest = sha.digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present in the JDK", e);
        }
    }
}
