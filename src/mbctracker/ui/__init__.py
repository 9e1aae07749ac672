"""The PySide6 + pyqtgraph front end. Only this package and ``app`` import Qt."""
