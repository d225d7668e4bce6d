package io.vigia.collector.remotewrite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The certificate authorities an https receiver's certificate must chain to. */
final class ReceiverTrust {

  private ReceiverTrust() {}

  /**
   * A TLS context that trusts exactly the CA certificates in a PEM file (one or more), for
   * receivers whose certificates come from a private CA; host names are still verified.
   *
   * @throws IOException naming the file when it cannot be read or holds no certificate
   */
  static SSLContext fromPemFile(Path caFile) throws IOException {
    if (!Files.isReadable(caFile)) {
      throw new IOException("cannot read " + caFile + " (missing, or not readable by this user)");
    }
    try (InputStream in = Files.newInputStream(caFile)) {
      Collection<? extends Certificate> cas =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (cas.isEmpty()) {
        throw new IOException(caFile + " holds no PEM certificate");
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate ca : cas) {
        store.setCertificateEntry("ca-" + i++, ca);
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException(caFile + " does not hold PEM certificates: " + e.getMessage(), e);
    }
  }
}
