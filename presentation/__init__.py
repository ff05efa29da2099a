"""Presentation of rtwsim's results: words, numbers, tables, plotly figures, HTML pages and Excel workbooks.

One module per kind of output, used by the CLI, the HTML reports and the app, so a figure is drawn
one way everywhere: ``labels`` (Danish and English words), ``numbers`` (one number format per
language), ``tables``, ``figures``, ``html`` (self-contained pages, plotly.js inlined) and
``workbook`` (Excel). The simulation core (``model``) never imports this package.
"""
