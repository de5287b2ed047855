/**
 * The one progress interface of long work (message, done, total, cancelled) and its cancellation exception, with
 * an FX adapter in {@code ui} and a console adapter in {@code cli}. It depends on nothing else in Seglight.
 */
package org.seglight.task;
