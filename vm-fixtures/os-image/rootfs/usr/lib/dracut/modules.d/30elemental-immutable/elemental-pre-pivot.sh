#!/bin/sh
# dracut pre-pivot hook (sourced): the immutable root's writable parts, before switch-root.
if [ -n "$(getarg elemental.image=)" ]; then
    /sbin/elemental-immutable-root "$(getarg elemental.mode=)" || warn "elemental-immutable-root failed"
elif getargbool 0 rd.live.image; then
    mkdir -p /run/elemental /run/cos
    : > /run/elemental/live_mode
    : > /run/cos/live_mode
fi
