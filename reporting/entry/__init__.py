"""Files built from what an EPN entered in the browser, in the standard's own formats, so
that they take the path of any upload (``services.uploads.submit``)."""
