/**
 * The services every view and view-model shares: running work off the FX thread in lanes
 * ({@link org.seglight.ui.common.TaskRunner}), dialogs ({@link org.seglight.ui.common.DialogService}), debouncing,
 * the stylesheet and icon, user-safe error messages and small control factories. It must not depend on any other
 * {@code ui} package.
 */
package org.seglight.ui.common;
