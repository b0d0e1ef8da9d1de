"""Masking personal data for public pages."""

from __future__ import annotations

from jiangxin.policy.identity import mask_resident_id

__all__ = ["mask_name", "mask_phone", "mask_resident_id"]


def mask_name(name: str) -> str:
    """Keep the surname (first character), star the rest: 王芳 → 王*, 欧阳明华 → 欧***."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def mask_phone(phone: str) -> str:
    digits = (phone or "").strip()
    return digits[:3] + "****" + digits[-4:] if len(digits) >= 11 else "*" * len(digits)
