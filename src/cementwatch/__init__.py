"""CementWatch: decision support for bone-cement leakage after vertebroplasty and kyphoplasty."""

__version__ = "0.1.0"
