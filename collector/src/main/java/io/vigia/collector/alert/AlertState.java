package io.vigia.collector.alert;

/** Where an alert of one rule on one series of one host stands. */
public enum AlertState {
  /** The condition does not hold. */
  INACTIVE,
  /** The condition holds, for less time than the rule's {@code for} so far. */
  PENDING,
  /** The condition has held for the rule's {@code for}: receivers are told. */
  FIRING,
  /** It fired and the condition has cleared; kept for a while so receivers learn of the end. */
  RESOLVED
}
