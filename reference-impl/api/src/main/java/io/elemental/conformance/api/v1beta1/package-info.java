/**
 * The {@code elemental.cattle.io/v1beta1} resources, field for field as the real operator's
 * Go API types name them, so that manifests written for the real stack apply unchanged.
 * Value classes use public fields: they are wire shapes, not behaviour.
 */
package io.elemental.conformance.api.v1beta1;
