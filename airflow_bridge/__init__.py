"""Everything that talks to Airflow (REST API v2 client, Airflow-side DAGs). Imports without Airflow installed.

The client and DAGs arrive with the Airflow issue; this package exists so the layout is fixed from the start.
"""
