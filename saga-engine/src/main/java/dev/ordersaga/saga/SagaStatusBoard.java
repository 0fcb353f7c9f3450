package dev.ordersaga.saga;

/** Where each saga stands, for the API and operators; written by the saga on every change. */
public interface SagaStatusBoard {

  void update(SagaStatus status);
}
