package io.vigia.collector.ingest;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/**
 * The collector's TLS on the agent port, from PEM files.
 *
 * <pre>{@code
 * SslContext tls = AgentTls.server(Path.of("collector.crt"), Path.of("collector.key"), null);
 * SslContext mutual = AgentTls.server(cert, key, Path.of("ca.crt")); // agents need a cert too
 * }</pre>
 */
public final class AgentTls {

  private AgentTls() {}

  /**
   * @param cert the collector's certificate chain (PEM)
   * @param key its private key (PEM, PKCS#8: {@code BEGIN PRIVATE KEY})
   * @param clientCa when not null, every agent must present a certificate this CA signed
   * @throws IOException naming the file that could not be used
   */
  public static SslContext server(Path cert, Path key, Path clientCa) throws IOException {
    try {
      SslContextBuilder builder = SslContextBuilder.forServer(cert.toFile(), key.toFile());
      if (clientCa != null) {
        builder.trustManager(clientCa.toFile()).clientAuth(ClientAuth.REQUIRE);
      }
      return builder.protocols("TLSv1.3", "TLSv1.2").build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IOException(
          "cannot use "
              + cert
              + " and "
              + key
              + (clientCa == null ? "" : " with " + clientCa)
              + " for TLS: "
              + e.getMessage(),
          e);
    }
  }
}
