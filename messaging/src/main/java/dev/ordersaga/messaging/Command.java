package dev.ordersaga.messaging;

/** Asks one participant to do something. Routed on the commands exchange by its wire type. */
public interface Command extends Message {}
