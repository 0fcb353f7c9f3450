package dev.ordersaga.messaging;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The stable identity of a message on the wire: a short name such as {@code
 * payment.AuthorizePayment} and a revision. It never changes when the Java class is renamed; a
 * change of shape that old readers cannot take is a new revision.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface WireType {

  /** {@code <participant>.<Name>}; the part before the dot routes the message. */
  String name();

  int revision() default 1;
}
