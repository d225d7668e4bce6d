package io.vigia.collector.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.CookieHeaderNames;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The collector's HTTP token and the two ways a request may prove it knows it: {@code
 * Authorization: Bearer TOKEN} (scripts, Prometheus, {@code vigia}), or the dashboard's session
 * cookie, which a browser sends by itself, also on the live stream's {@code EventSource} (which
 * cannot send headers).
 *
 * <p>The cookie holds a digest of the token, not the token: it works for this collector's HTTP side
 * only, stops working when the token changes, and needs no state on the server (so it survives a
 * restart). Every comparison hashes both sides and compares with {@link MessageDigest#isEqual}, so
 * it takes the same time wherever they differ. Immutable.
 */
final class HttpToken {

  static final String COOKIE = "vigia_session";
  private static final String BEARER = "Bearer ";

  private final byte[] expectedAuthorization;
  private final byte[] expectedToken;
  private final String sessionValue;
  private final byte[] expectedSession;

  HttpToken(String token) {
    if (token.isEmpty()) {
      throw new IllegalArgumentException("the HTTP token must not be empty");
    }
    this.expectedAuthorization = sha256(BEARER + token);
    this.expectedToken = sha256(token);
    this.sessionValue = HexFormat.of().formatHex(sha256("vigia dashboard session\0" + token));
    this.expectedSession = sha256(sessionValue);
  }

  /** The request carries the token in its Authorization header or the session cookie. */
  boolean admits(HttpRequest request) {
    String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
    if (authorization != null
        && MessageDigest.isEqual(expectedAuthorization, sha256(authorization))) {
      return true;
    }
    String cookies = request.headers().get(HttpHeaderNames.COOKIE);
    if (cookies == null) {
      return false;
    }
    for (Cookie cookie : ServerCookieDecoder.STRICT.decodeAll(cookies)) {
      if (COOKIE.equals(cookie.name())
          && MessageDigest.isEqual(expectedSession, sha256(cookie.value()))) {
        return true;
      }
    }
    return false;
  }

  /** {@code offered} is the token itself (a sign-in form's answer). */
  boolean matches(String offered) {
    return MessageDigest.isEqual(expectedToken, sha256(offered));
  }

  /**
   * The Set-Cookie value that signs a browser in for its session: sent back on same-site requests
   * only (so another site cannot make the browser use it), never readable by scripts.
   */
  String signInCookie() {
    return ServerCookieEncoder.STRICT.encode(cookie(sessionValue, Long.MIN_VALUE));
  }

  /** The Set-Cookie value that signs a browser out. */
  static String signOutCookie() {
    return ServerCookieEncoder.STRICT.encode(cookie("", 0));
  }

  private static Cookie cookie(String value, long maxAge) {
    DefaultCookie cookie = new DefaultCookie(COOKIE, value);
    cookie.setPath("/");
    cookie.setHttpOnly(true);
    cookie.setSameSite(CookieHeaderNames.SameSite.Strict);
    cookie.setMaxAge(maxAge);
    return cookie;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
