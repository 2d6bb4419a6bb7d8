package io.elemental.conformance.fakerancher;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads named {@code <prefix>-<n>}: none keeps the JVM up, each says whose it is in a thread dump. */
final class DaemonThreads implements ThreadFactory {
  private final String prefix;
  private final AtomicInteger count = new AtomicInteger();

  DaemonThreads(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public Thread newThread(Runnable work) {
    Thread thread = new Thread(work, prefix + "-" + count.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  }
}
