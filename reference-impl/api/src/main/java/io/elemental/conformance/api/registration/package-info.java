/**
 * The registration wire protocol shared by the operator's endpoint and the register client:
 * one binary websocket message per protocol message, a type byte then the payload
 * (ELEMENTAL.md §3; details and sources in docs/notes/registration-protocol.md).
 */
package io.elemental.conformance.api.registration;
