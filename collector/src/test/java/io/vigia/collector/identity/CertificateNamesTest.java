package io.vigia.collector.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;

/** Which agent ids a client certificate names (certificates made with openssl, in resources). */
class CertificateNamesTest {

  private static CertificateNames names(String resource) throws Exception {
    try (InputStream in = CertificateNamesTest.class.getResourceAsStream(resource)) {
      return CertificateNames.of(
          (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
  }

  @Test
  void dnsAlternativeNamesMatchWithoutRegardToCase() throws Exception {
    CertificateNames names = names("dns-san.crt");
    assertThat(names.names("web-1.example")).isTrue();
    assertThat(names.names("WEB-2")).isTrue();
    assertThat(names.names("web-3")).isFalse();
  }

  @Test
  void theCommonNameDoesNotCountWhenTheCertificateHasAlternativeNames() throws Exception {
    assertThat(names("dns-san.crt").names("ignored-cn")).isFalse();
    assertThat(names("uri-san.crt").names("ignored-cn")).isFalse();
  }

  @Test
  void vigiaUrisNameAPercentDecodedIdAndOtherUrisNameNone() throws Exception {
    CertificateNames names = names("uri-san.crt");
    assertThat(names.names("odd id/with-slash")).isTrue();
    assertThat(names.names("web-3")).isFalse();
    assertThat(names.names("https://example.org/web-3")).isFalse();
  }

  @Test
  void withoutAlternativeNamesTheCommonNameMatchesExactly() throws Exception {
    CertificateNames names = names("cn-only.crt");
    assertThat(names.names("odd_id")).isTrue();
    assertThat(names.names("ODD_ID")).isFalse();
    assertThat(names.names("Vigia")).isFalse();
    assertThat(names.describe()).isEqualTo("CN=odd_id");
  }

  @Test
  void describeListsTheNamesThatCount() throws Exception {
    assertThat(names("dns-san.crt").describe()).isEqualTo("DNS:Web-1.example, DNS:web-2");
    assertThat(names("uri-san.crt").describe()).isEqualTo("URI:urn:vigia:agent:odd id/with-slash");
  }
}
