package io.vigia.collector.remotewrite;

import io.vigia.collector.registry.StoredSample;

/** A stored sample of a host, waiting to be pushed to one receiver. */
record Pending(String host, StoredSample sample) {}
