"""Writes of the suppliers register."""

from lebork_einclusion.records import service

from .common import save_form_values


@service
def do_save_supplier(supplier, data: dict, *, actor):
    """Create or edit a supplier (NIP and REGON checked by the form's localflavor fields)."""
    return save_form_values(supplier, data)
