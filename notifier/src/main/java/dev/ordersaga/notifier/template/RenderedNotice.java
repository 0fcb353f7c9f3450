package dev.ordersaga.notifier.template;

/**
 * A notice ready to send.
 *
 * @param language the language it was written in ({@code ko} or {@code en})
 * @param subject one line, without control characters
 * @param body plain text
 */
public record RenderedNotice(String language, String subject, String body) {}
