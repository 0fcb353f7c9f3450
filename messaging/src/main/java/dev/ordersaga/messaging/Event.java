package dev.ordersaga.messaging;

/**
 * Something that happened: a participant's reply to a command, or a fact such as an order placed.
 * Routed on the events exchange by its wire type.
 */
public interface Event extends Message {}
