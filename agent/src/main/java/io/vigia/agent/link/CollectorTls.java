package io.vigia.agent.link;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/**
 * The agent's TLS to its collectors, from PEM files.
 *
 * <pre>{@code
 * SslContext tls = CollectorTls.client(Path.of("ca.crt"), null, null);  // verify the collector
 * SslContext mutual = CollectorTls.client(ca, Path.of("agent.crt"), Path.of("agent.key"));
 * }</pre>
 */
public final class CollectorTls {

  private CollectorTls() {}

  /**
   * @param ca the CA that signed the collectors' certificates
   * @param cert this agent's certificate for mutual TLS, or null
   * @param key its private key (PEM, PKCS#8), or null
   * @throws IOException naming the files that could not be used
   */
  public static SslContext client(Path ca, Path cert, Path key) throws IOException {
    if ((cert == null) != (key == null)) {
      throw new IOException("a client certificate needs its key, and a key its certificate");
    }
    try {
      SslContextBuilder builder =
          SslContextBuilder.forClient().trustManager(ca.toFile()).protocols("TLSv1.3", "TLSv1.2");
      if (cert != null) {
        builder.keyManager(cert.toFile(), key.toFile());
      }
      return builder.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IOException(
          "cannot use "
              + ca
              + (cert == null ? "" : ", " + cert + " and " + key)
              + " for TLS: "
              + e.getMessage(),
          e);
    }
  }
}
