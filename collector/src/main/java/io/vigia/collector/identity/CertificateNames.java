package io.vigia.collector.identity;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The agent ids a client certificate names, in the order they are considered:
 *
 * <ol>
 *   <li>each subject alternative name of type DNS (compared without regard to ASCII case, as DNS
 *       names are);
 *   <li>each subject alternative name of type URI of the form {@code urn:vigia:agent:ID} (ID
 *       percent-decoded, compared exactly);
 *   <li>only when the certificate has neither: the subject's common name (CN), compared exactly.
 * </ol>
 *
 * As RFC 6125 does for server names: a certificate with alternative names is not also matched on
 * its CN. {@code scripts/make-certs --agent ID} writes CN=ID and, when ID is a valid DNS name, the
 * DNS alternative name ID too.
 *
 * @param dns the DNS alternative names
 * @param uris the agent ids of {@code urn:vigia:agent:} URI alternative names
 * @param commonName the subject's CN, or empty
 */
public record CertificateNames(List<String> dns, List<String> uris, String commonName) {

  static final String URI_PREFIX = "urn:vigia:agent:";
  private static final int SAN_DNS = 2;
  private static final int SAN_URI = 6;

  public CertificateNames {
    dns = List.copyOf(dns);
    uris = List.copyOf(uris);
  }

  /** The names of {@code certificate}. */
  public static CertificateNames of(X509Certificate certificate) {
    List<String> dns = new ArrayList<>();
    List<String> uris = new ArrayList<>();
    Collection<List<?>> alternatives;
    try {
      alternatives = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      alternatives = null;
    }
    if (alternatives != null) {
      for (List<?> name : alternatives) {
        if (name.size() < 2 || !(name.get(0) instanceof Integer type)) {
          continue;
        }
        if (type == SAN_DNS && name.get(1) instanceof String value) {
          dns.add(value);
        } else if (type == SAN_URI
            && name.get(1) instanceof String value
            && value.startsWith(URI_PREFIX)) {
          try {
            uris.add(
                URLDecoder.decode(
                    value.substring(URI_PREFIX.length()).replace("+", "%2B"),
                    StandardCharsets.UTF_8));
          } catch (IllegalArgumentException e) {
            // Not a name we can read: it names no agent.
          }
        }
      }
    }
    return new CertificateNames(dns, uris, commonName(certificate));
  }

  private static String commonName(X509Certificate certificate) {
    try {
      LdapName subject = new LdapName(certificate.getSubjectX500Principal().getName());
      for (Rdn rdn : subject.getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN") && rdn.getValue() instanceof String cn) {
          return cn;
        }
      }
    } catch (InvalidNameException e) {
      // No readable subject: no CN.
    }
    return "";
  }

  /** Whether these names include agent id {@code id}, by the rules above. */
  public boolean names(String id) {
    for (String name : dns) {
      if (name.toLowerCase(Locale.ROOT).equals(id.toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    if (uris.contains(id)) {
      return true;
    }
    return dns.isEmpty() && uris.isEmpty() && !commonName.isEmpty() && commonName.equals(id);
  }

  /** The names that count, for a message: "DNS:web-2, CN=web-2". */
  public String describe() {
    List<String> all = new ArrayList<>();
    dns.forEach(name -> all.add("DNS:" + name));
    uris.forEach(id -> all.add("URI:" + URI_PREFIX + id));
    if (dns.isEmpty() && uris.isEmpty() && !commonName.isEmpty()) {
      all.add("CN=" + commonName);
    }
    return all.isEmpty() ? "no name" : String.join(", ", all);
  }
}
