package dev.ordersaga.messaging.store;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store's write-ahead log: every command that may change data, in the order the store
 * applied it, appended to segment files {@code <name>.log.<segment>} next to the store's file. A
 * write is answered once its command is on disk ({@link #flush}, run by a {@link GroupCommit}: many
 * commands share one {@code fdatasync}); the store's own file is only written at checkpoints, after
 * which the segments before the checkpoint are deleted. At start the commands after the last
 * checkpoint are applied again, in order.
 *
 * <p>An entry is {@code length, CRC-32C, BSON document {d: database, c: command, q: the command's
 * document}}. A crash can leave the last entries torn or missing (never acknowledged: a command is
 * acknowledged only after a sync that covers it and everything before it); reading stops at the
 * first entry that is short or fails its checksum, and nothing after it is applied.
 */
final class CommandLog implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CommandLog.class);
  private static final int HEADER = 8;

  /** A command read back from the log. */
  record Entry(String database, String command, Document query) {}

  private record Pending(long segment, byte[] bytes) {}

  private final Path directory;
  private final String name;
  private final Pattern segmentName;

  // guarded by this
  private List<Pending> pending = new ArrayList<>();
  private long segment;
  private long obsoleteBefore;

  // used by the flushing thread only
  private FileChannel channel;
  private long channelSegment = -1;

  /**
   * Segments before this one are deleted: the log's directory is listed only when a checkpoint made
   * more of them obsolete, not at every flush (hundreds a second under load).
   */
  private long deletedBefore;

  /**
   * @param segment the segment new commands go to
   */
  CommandLog(Path directory, String name, long segment) {
    this.directory = directory;
    this.name = name;
    this.segment = segment;
    this.segmentName = Pattern.compile(Pattern.quote(name) + "\\.log\\.(\\d+)");
  }

  /**
   * Adds a command the store just applied; the caller holds the store's apply lock, so the log's
   * order is the order of application. It is on disk after the next {@link #flush}.
   */
  void append(String database, String command, Document query) {
    Document entry = new Document("d", database).append("c", command).append("q", query);
    BsonBytes bson = BsonBytes.forThread().document(entry);
    int length = bson.length();
    CRC32C crc = new CRC32C();
    crc.update(bson.array(), 0, length);
    byte[] bytes = new byte[HEADER + length];
    ByteBuffer.wrap(bytes).putInt(length).putInt((int) crc.getValue()).put(bson.array(), 0, length);
    synchronized (this) {
      pending.add(new Pending(segment, bytes));
    }
  }

  /**
   * Starts a new segment for the commands appended from now on (the caller holds the apply lock,
   * while a checkpoint commits everything appended before); returns its number.
   */
  synchronized long rotate() {
    segment++;
    return segment;
  }

  /** Segments before this one are in a synced checkpoint: they are deleted at the next flush. */
  synchronized void obsolete(long before) {
    obsoleteBefore = Math.max(obsoleteBefore, before);
  }

  /**
   * Writes every command appended so far to its segment and syncs it: a segment that is done is
   * synced before the next one is written, so a synced command has every earlier one on disk too.
   */
  void flush() {
    List<Pending> batch;
    long deleteBefore;
    synchronized (this) {
      batch = pending;
      pending = new ArrayList<>();
      deleteBefore = obsoleteBefore;
    }
    try {
      for (Pending entry : batch) {
        if (entry.segment() != channelSegment) {
          switchTo(entry.segment());
        }
        ByteBuffer bytes = ByteBuffer.wrap(entry.bytes());
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
      }
      if (channel != null) {
        channel.force(false);
      }
      long before = Math.min(deleteBefore, channelSegment < 0 ? deleteBefore : channelSegment);
      if (before > deletedBefore) {
        deleteSegmentsBefore(before);
        deletedBefore = before;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the command log of " + name, e);
    }
  }

  private void switchTo(long next) throws IOException {
    if (channel != null) {
      channel.force(false);
      channel.close();
    }
    Path file = segmentFile(next);
    boolean created = !Files.exists(file);
    channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    channelSegment = next;
    if (created) {
      EmbeddedBackend.syncDirectory(directory);
    }
  }

  private void deleteSegmentsBefore(long before) throws IOException {
    for (long s : segments()) {
      if (s < before) {
        Files.deleteIfExists(segmentFile(s));
      }
    }
  }

  /** The segment numbers on disk, in order. */
  List<Long> segments() {
    List<Long> numbers = new ArrayList<>();
    try (Stream<Path> files = Files.list(directory)) {
      files.forEach(
          file -> {
            Matcher m = segmentName.matcher(file.getFileName().toString());
            if (m.matches()) {
              numbers.add(Long.parseLong(m.group(1)));
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the command log of " + name, e);
    }
    numbers.sort(Long::compare);
    return numbers;
  }

  /**
   * Reads the commands of the segments from {@code from} on, in order, up to the first torn or
   * missing entry, and hands each to {@code apply}; returns how many were read.
   */
  long replay(long from, Consumer<Entry> apply) {
    long read = 0;
    for (long s : segments()) {
      if (s < from) {
        continue;
      }
      Path file = segmentFile(s);
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
      ByteBuffer in = ByteBuffer.wrap(bytes);
      while (in.remaining() >= HEADER) {
        int length = in.getInt();
        int checksum = in.getInt();
        if (length <= 0 || length > in.remaining()) {
          log.warn(
              "{}: an entry torn by a crash at byte {}; later commands are not applied",
              file,
              in.position() - HEADER);
          return read;
        }
        CRC32C crc = new CRC32C();
        crc.update(in.slice(in.position(), length));
        if ((int) crc.getValue() != checksum) {
          log.warn(
              "{}: an entry with a wrong checksum at byte {}; later commands are not applied",
              file,
              in.position() - HEADER);
          return read;
        }
        ByteBuf entry = Unpooled.wrappedBuffer(bytes, in.position(), length);
        in.position(in.position() + length);
        Document document = BsonDecoder.decodeBson(entry);
        apply.accept(
            new Entry(
                (String) document.get("d"),
                (String) document.get("c"),
                (Document) document.get("q")));
        read++;
      }
      if (in.hasRemaining()) {
        log.warn("{}: {} bytes of a torn entry at its end are not applied", file, in.remaining());
        return read;
      }
    }
    return read;
  }

  private Path segmentFile(long number) {
    return directory.resolve(name + ".log." + number);
  }

  @Override
  public void close() {
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException e) {
      log.warn("cannot close the command log of {}", name, e);
    }
  }
}
