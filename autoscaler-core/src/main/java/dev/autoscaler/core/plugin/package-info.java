/**
 * Discovery of plugins (scaling policies, instance providers, routing strategies, ticket formats)
 * by a stable name, with {@link java.util.ServiceLoader} or from an explicit list.
 */
package dev.autoscaler.core.plugin;
