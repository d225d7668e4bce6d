package io.vigia.collector.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Per-agent credentials: 32 random bytes, sent to the agent once as base64url text; the collector
 * keeps only their SHA-256 (the secret is random, so a plain hash is as strong as a slow one).
 */
final class Credentials {

  static final int HASH_BYTES = 32;
  private static final int SECRET_BYTES = 32;

  private final SecureRandom random;

  Credentials(SecureRandom random) {
    this.random = random;
  }

  /** A new credential, as the agent keeps and presents it. */
  String issue() {
    byte[] secret = new byte[SECRET_BYTES];
    random.nextBytes(secret);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  static byte[] hash(String credential) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(credential.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** Whether {@code presented} hashes to {@code hash}, in time independent of where they differ. */
  static boolean matches(String presented, byte[] hash) {
    return hash.length == HASH_BYTES && MessageDigest.isEqual(hash(presented), hash);
  }
}
