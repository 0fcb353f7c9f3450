package dev.ordersaga.saga.journal;

import java.time.Instant;
import java.util.Collection;
import java.util.Set;

/**
 * Which entries of the sagas' journal to read, in the journal's own terms: the sagas (empty: any),
 * the kinds of message ({@code null}: any; empty: none), and the recorded time, {@code from}
 * inclusive and {@code to} exclusive ({@code null}: open). How the store holds them is {@link
 * JournalReader}'s business.
 */
public record JournalQuery(
    Set<String> sagaIds, Collection<JournalTypes.Kind> kinds, Instant from, Instant to) {

  public JournalQuery {
    sagaIds = Set.copyOf(sagaIds);
    kinds = kinds == null ? null : Set.copyOf(kinds);
  }
}
