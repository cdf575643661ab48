package dynafault.clients;

import java.math.BigDecimal;
import java.util.Objects;

import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondaryPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondarySortKey;

/** A purchase as the enhanced client maps it: key id, GSI byCustomer (customer, createdAt). */
@DynamoDbBean
public class Purchase {
    private String id;
    private String customer;
    private Long createdAt;
    private BigDecimal total;
    private String status;

    public Purchase() {}

    Purchase(String id, String customer, long createdAt, String total, String status) {
        this.id = id;
        this.customer = customer;
        this.createdAt = createdAt;
        this.total = new BigDecimal(total);
        this.status = status;
    }

    @DynamoDbPartitionKey
    public String getId() { return id; }
    public void setId(String id) { this.id = id; }

    @DynamoDbSecondaryPartitionKey(indexNames = "byCustomer")
    public String getCustomer() { return customer; }
    public void setCustomer(String customer) { this.customer = customer; }

    @DynamoDbSecondarySortKey(indexNames = "byCustomer")
    public Long getCreatedAt() { return createdAt; }
    public void setCreatedAt(Long createdAt) { this.createdAt = createdAt; }

    public BigDecimal getTotal() { return total; }
    public void setTotal(BigDecimal total) { this.total = total; }

    public String getStatus() { return status; }
    public void setStatus(String status) { this.status = status; }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Purchase)) return false;
        Purchase other = (Purchase) o;
        return Objects.equals(id, other.id) && Objects.equals(customer, other.customer)
                && Objects.equals(createdAt, other.createdAt)
                && (total == null ? other.total == null : other.total != null && total.compareTo(other.total) == 0)
                && Objects.equals(status, other.status);
    }

    @Override
    public int hashCode() { return Objects.hash(id, customer, createdAt, status); }

    @Override
    public String toString() {
        return "Purchase{" + id + " " + customer + " " + createdAt + " " + total + " " + status + "}";
    }
}
