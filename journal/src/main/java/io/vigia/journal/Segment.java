package io.vigia.journal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One segment file of a journal directory.
 *
 * @param number its place in the journal, from 1; the file name says it
 * @param bytes its size when listed
 */
public record Segment(long number, Path path, long bytes) {

  /** The segments of {@code dir}, oldest first; other files are left alone. */
  public static List<Segment> list(Path dir) throws IOException {
    List<Segment> segments = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.seg")) {
      for (Path file : files) {
        long number = JournalFormat.segmentNumber(file.getFileName().toString());
        if (number > 0) {
          try {
            segments.add(new Segment(number, file, Files.size(file)));
          } catch (NoSuchFileException deletedMeanwhile) {
            // retention of the writer's owner removed it between the listing and the size
          }
        }
      }
    }
    segments.sort(Comparator.comparingLong(Segment::number));
    return segments;
  }
}
