package io.vigia.collector.store;

import java.nio.ByteBuffer;
import java.util.concurrent.Executor;

/** {@link Store#IN_MEMORY}: records go nowhere, durability is immediate. Stateless. */
final class InMemoryStore implements Store {

  @Override
  public boolean durable() {
    return false;
  }

  @Override
  public boolean accepting() {
    return true;
  }

  @Override
  public void hello(String hostId, long timeMillis, String address, ByteBuffer hello) {}

  @Override
  public void sample(byte[] hostIdUtf8, long epoch, long timeMillis, ByteBuffer snapshot) {}

  @Override
  public void link(String hostId, boolean left, long timeMillis) {}

  @Override
  public void whenDurable(Executor executor, Runnable action) {
    action.run();
  }

  @Override
  public StoreStatus status() {
    return StoreStatus.IN_MEMORY;
  }

  @Override
  public void close() {}
}
