package io.vigia.collector.ingest;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.vigia.codec.Frames;
import io.vigia.collector.identity.CertificateNames;
import io.vigia.collector.identity.Pins;
import io.vigia.proto.ErrorCode;
import io.vigia.proto.Frame;
import io.vigia.proto.Hello;
import java.nio.channels.ClosedChannelException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.LoggerFactory;

/**
 * Makes a link prove the agent id its {@code Hello} claims, through {@link Pins}: over mutual TLS
 * the client certificate must name the id ({@link CertificateNames}); otherwise a pinned id must
 * present its credential. A refused link gets an {@code Error} and is closed before the session
 * sees its Hello, so the connected agent of that id is untouched. The credential is taken out of
 * the Hello the session sees (it is never logged or stored), and a credential issued at enrollment
 * is put into the session's {@code Welcome} once its pin is durable. One instance per link, between
 * the guard and the session.
 */
final class IdentityHandler extends ChannelDuplexHandler implements Pins.Link {

  static final RateLimitedLog LOG =
      new RateLimitedLog(LoggerFactory.getLogger(IdentityHandler.class));

  private final Pins pins;
  private ChannelHandlerContext ctx;
  private String id;
  private String hostname;
  private Pins.Admission admission;
  private boolean welcomed;
  private boolean refused;

  IdentityHandler(Pins pins) {
    this.pins = pins;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (refused) {
      ReferenceCountUtil.release(msg); // the link is closing; nothing reaches the session
      return;
    }
    if (admission != null || !(msg instanceof Frame frame) || !frame.hasHello()) {
      ctx.fireChannelRead(msg);
      return;
    }
    Hello hello = frame.getHello();
    String claimed = hello.getAgentId();
    if (claimed.isBlank() || claimed.length() > FrameMapper.MAX_ID_LENGTH) {
      ctx.fireChannelRead(msg); // the session refuses it
      return;
    }
    Pins.Proof proof;
    SslHandler tls = ctx.pipeline().get(SslHandler.class);
    if (tls != null && tls.engine().getNeedClientAuth()) {
      CertificateNames names = clientCertificate(tls);
      if (names == null || !names.names(claimed)) {
        refuse(
            ErrorCode.CERTIFICATE_MISMATCH,
            "agent id '"
                + claimed
                + "' is not a name in this link's client certificate ("
                + (names == null ? "none readable" : names.describe())
                + "); start the agent with --id set to a name of its certificate, or make it one"
                + " for this id (scripts/make-certs DIR --agent ID)");
        return;
      }
      proof = Pins.Proof.ofCertificate();
    } else {
      proof = Pins.Proof.ofCredential(hello.getCredential(), hello.getKeepsCredential());
    }
    Pins.Admission decided = pins.admit(claimed, proof, this);
    if (decided.refused()) {
      refuse(decided.refusal(), decided.message());
      return;
    }
    admission = decided;
    id = claimed;
    hostname = hello.getHostname();
    Frame withoutCredential =
        hello.getCredential().isEmpty()
            ? frame
            : Frame.newBuilder().setHello(hello.toBuilder().clearCredential()).build();
    ctx.fireChannelRead(withoutCredential);
  }

  private static CertificateNames clientCertificate(SslHandler tls) {
    try {
      Certificate[] chain = tls.engine().getSession().getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate leaf
          ? CertificateNames.of(leaf)
          : null;
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (welcomed || admission == null || !(msg instanceof Frame frame) || !frame.hasWelcome()) {
      ctx.write(msg, promise);
      return;
    }
    welcomed = true;
    Pins.Welcomed pinned = pins.welcomed(id, hostname, admission, this);
    if (pinned.refusal() != null) {
      promise.tryFailure(new ClosedChannelException());
      refuse(pinned.refusal(), pinned.message());
      return;
    }
    if (pinned.credential() == null) {
      ctx.write(msg, promise);
      return;
    }
    Frame withCredential =
        Frame.newBuilder()
            .setWelcome(frame.getWelcome().toBuilder().setCredential(pinned.credential()))
            .build();
    // The agent gets its credential only once the collector cannot forget it.
    pinned
        .durable()
        .whenComplete(
            (ok, failed) ->
                ctx.executor()
                    .execute(
                        () -> {
                          if (failed == null) {
                            ctx.writeAndFlush(withCredential, promise);
                          } else {
                            promise.tryFailure(new ClosedChannelException());
                            refuse(
                                ErrorCode.STORE_UNAVAILABLE,
                                "the collector cannot write its pins file now; retry later");
                          }
                        }));
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (admission != null) {
      pins.closed(id, this);
    }
    ctx.fireChannelInactive();
  }

  /** Called by {@link Pins} under its lock (a revocation): only schedules the close. */
  @Override
  public void close(ErrorCode code, String message) {
    ctx.executor().execute(() -> refuse(code, message));
  }

  @Override
  public String address() {
    return SessionHandler.address(ctx.channel().remoteAddress());
  }

  private void refuse(ErrorCode code, String message) {
    if (refused) {
      return;
    }
    refused = true;
    LOG.warn(code.name(), "Rejecting the link from " + address() + ": " + message);
    if (ctx.channel().isActive()) {
      ctx.writeAndFlush(Frames.error(code, message)).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.close();
    }
  }
}
