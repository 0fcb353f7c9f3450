package dev.ordersaga.notifier.notice;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.util.StreamProvider;
import org.junit.jupiter.api.Test;

class StreamProviderTest {

  @Test
  void theNotifierNamesAngusMailsStreamProviderSoJakartaMailNeedNotSearchForIt() throws Exception {
    Class.forName(NoticeConfiguration.class.getName(), true, getClass().getClassLoader());

    assertThat(System.getProperty(NoticeConfiguration.STREAM_PROVIDER_PROPERTY))
        .isEqualTo(NoticeConfiguration.ANGUS_STREAM_PROVIDER);
    // the class named is the one the search would find, and Jakarta Mail takes it
    assertThat(StreamProvider.provider().getClass().getName())
        .isEqualTo(NoticeConfiguration.ANGUS_STREAM_PROVIDER);
  }
}
