# One image for every Sahabat service; the command picks the service.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY shared ./shared
COPY services ./services
COPY sahabat ./sahabat
RUN pip install --no-cache-dir .
ENV PAS_HTTP_HOST=0.0.0.0 PAS_HTTP_PORT=8000
EXPOSE 8000
CMD ["python", "-m", "services.partners"]
