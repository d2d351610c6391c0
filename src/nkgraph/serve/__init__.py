"""Running the Flask app under a WSGI server (gunicorn, granian), worker recycling."""
