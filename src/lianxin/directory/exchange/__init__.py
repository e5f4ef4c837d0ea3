"""Import and export of directory records from the sheets offices keep (ORG-14).

``kinds`` says what each sheet holds (columns, how a row is written, how records are
exported); ``services`` runs a sheet through a kind (dry run or all-or-nothing import, as a
background job with progress) and makes exports and templates; ``views`` are the pages.
"""
