package io.vigia.journal;

import java.io.IOException;

/** A journal file this code cannot read at all: not a journal, another kind, a newer version. */
public final class JournalFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public JournalFormatException(String message) {
    super(message);
  }
}
